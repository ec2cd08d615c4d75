from django.urls import path

from commonroom.library.views import collections, embed, saved

app_name = "library"
urlpatterns = [
    path("saved/", saved.saved_list, name="saved"),
    path("saved/<id:resource_id>/save/", saved.saved_create, name="save"),
    path("saved/<id:resource_id>/unsave/", saved.saved_delete, name="unsave"),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/new/", collections.collection_create, name="collection_create"),
    path("collections/add/", collections.collection_add, name="collection_add"),
    path(
        "collections/<id:collection_id>-<slug:slug>/",
        collections.collection_detail,
        name="collection",
    ),
    path("collections/<id:collection_id>/", collections.collection_short, name="collection_short"),
    path(
        "collections/<id:collection_id>/edit/", collections.collection_edit, name="collection_edit"
    ),
    path(
        "collections/<id:collection_id>/delete/",
        collections.collection_delete,
        name="collection_delete",
    ),
    path(
        "collections/<id:collection_id>/follow/",
        collections.collection_follow,
        name="collection_follow",
    ),
    path(
        "collections/<id:collection_id>/unfollow/",
        collections.collection_unfollow,
        name="collection_unfollow",
    ),
    path(
        "collections/<id:collection_id>/items/<id:item_id>/move/",
        collections.item_move,
        name="item_move",
    ),
    path(
        "collections/<id:collection_id>/items/<id:item_id>/note/",
        collections.item_note,
        name="item_note",
    ),
    path(
        "collections/<id:collection_id>/items/<id:item_id>/remove/",
        collections.item_remove,
        name="item_remove",
    ),
    path("embed/resource/<id:resource_id>/", embed.embed_resource, name="embed_resource"),
    path("embed/collection/<id:collection_id>/", embed.embed_collection, name="embed_collection"),
]
