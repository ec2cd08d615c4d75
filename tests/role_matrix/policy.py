"""Who may see what: the expected answer of every URL for every role.

Read a row as a permission policy. The columns are ROLES, in this order:

    visitor · unverified · member · new member · owner · suspended · moderator · staff

An answer is a status code, or where a redirect leads: LOGIN (the sign-in
page, with ?next=), ADMIN_LOGIN (the admin's sign-in page) or REDIRECT
(anywhere else). 405 is a GET on a view that only takes POST.

The *owner* is the author or owner of the object the URL names
(tests/role_matrix/world.py); *member* and *new member* are other members.
A suspended member is signed out by SuspensionMiddleware on any request and
shown why, with a 403, everywhere but the health probes.

A URL missing here fails tests/test_role_matrix.py: nobody adds a page
without deciding who may see it.
"""

from __future__ import annotations

from tests.role_matrix.world import ROLES

LOGIN = "login"
ADMIN_LOGIN = "admin login"
REDIRECT = "redirect"

Answer = int | str
Row = tuple[Answer, Answer, Answer, Answer, Answer, Answer, Answer, Answer]

SUSPENDED = 403


def everyone(answer: Answer) -> Row:
    """Visitors and every member alike."""
    return (answer, answer, answer, answer, answer, SUSPENDED, answer, answer)


def members(answer: Answer) -> Row:
    """Members only: a visitor is sent to sign in."""
    return (LOGIN, answer, answer, answer, answer, SUSPENDED, answer, answer)


def owner(answer: Answer, *, others: Answer) -> Row:
    """The owner of the object only; moderators and staff are others too."""
    return (LOGIN, others, others, others, answer, SUSPENDED, others, others)


MODERATORS: Row = (LOGIN, 403, 403, 403, 403, SUSPENDED, 200, 200)
STAFF: Row = (LOGIN, 403, 403, 403, 403, SUSPENDED, 403, 200)
POST_ONLY = members(405)
# Moderators' page of an item another app shows: moderators are sent there.
SENT_TO_ITS_APP: Row = (LOGIN, 403, 403, 403, 403, SUSPENDED, REDIRECT, REDIRECT)


POLICY: dict[str, Row] = {
    # --- the site ---------------------------------------------------------------
    "home": everyone(200),
    "set_language": everyone(REDIRECT),
    "healthz": (200, 200, 200, 200, 200, 200, 200, 200),  # before any session
    "readyz": (200, 200, 200, 200, 200, 200, 200, 200),
    # Loopback (the test client's address) or METRICS_TOKEN; before any session.
    "metrics": (200, 200, 200, 200, 200, 200, 200, 200),
    "media/<path:path>": everyone(404),
    # --- syndication: what machines read (issue 18 item 3), the same for everyone -----
    "syndication:robots": everyone(200),
    "syndication:sitemap": everyone(200),
    "syndication:sitemap_section": everyone(200),
    "syndication:oembed": everyone(400),  # without ?url=
    "syndication:resources": everyone(200),
    "syndication:resources_subject": everyone(200),
    # Only a member whose profile visitors may see has a feed: the owner's is for members.
    "syndication:resources_member": everyone(404),
    "syndication:organisation_resources": everyone(200),
    "syndication:staffroom_category": everyone(200),
    # --- accounts: one's own account --------------------------------------------
    "accounts:profile": members(200),
    "accounts:data_export": members(200),
    "accounts:delete": members(200),
    # A photo's address carries a token; without the right one it does not exist.
    "accounts:profile_photo": everyone(404),
    # --- allauth: signing in and out, e-mail, passwords, 2FA, sessions ----------
    "account_login": (200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, SUSPENDED, REDIRECT, REDIRECT),
    "account_logout": (REDIRECT, 200, 200, 200, 200, SUSPENDED, 200, 200),
    "account_inactive": everyone(200),
    "account_signup": (200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, SUSPENDED, REDIRECT, REDIRECT),
    "account_reauthenticate": members(200),
    # A code is sent to a verified address only.
    "account_request_reauthentication_code": (LOGIN, REDIRECT, 200, 200, 200, SUSPENDED, 200, 200),
    "account_confirm_reauthentication_code": members(REDIRECT),
    "account_email": members(200),
    "account_email_verification_sent": everyone(200),
    "account_change_password": members(200),
    "account_set_password": members(REDIRECT),  # members have a password: change it
    "account_reset_password": everyone(200),
    "account_confirm_login_code": members(REDIRECT),
    "account_confirm_email": everyone(200),  # an unknown key: the page says so
    "account_reset_password_from_key_done": everyone(200),
    "account_reset_password_from_key": everyone(200),  # a bad key: the page says so
    "account_reset_password_done": everyone(200),
    "mfa_index": members(200),
    "mfa_authenticate": members(REDIRECT),
    "mfa_reauthenticate": members(REDIRECT),
    "mfa_activate_totp": members(REDIRECT),  # asks to re-authenticate first
    "mfa_deactivate_totp": members(404),  # nothing to deactivate
    "mfa_view_recovery_codes": members(404),
    "mfa_generate_recovery_codes": members(REDIRECT),
    "mfa_download_recovery_codes": members(404),
    "usersessions_list": members(200),
    # --- legal --------------------------------------------------------------------
    "legal:terms": everyone(200),
    "legal:privacy": everyone(200),
    "legal:copyright": everyone(200),
    "legal:version": everyone(200),
    "legal:terms_accept": everyone(405),
    "legal:contact": everyone(200),
    "legal:contact_sent": everyone(200),
    "legal:maintenance": STAFF,
    # --- resources ----------------------------------------------------------------
    "resources:list": everyone(200),
    "resources:create": members(200),
    "resources:mine": members(200),
    "resources:detail": everyone(200),
    # A draft exists for its author and the moderators only.
    "resources:detail[draft]": (404, 404, 404, 404, 200, SUSPENDED, 200, 200),
    "resources:detail_short": everyone(REDIRECT),
    "resources:detail_short[draft]": (404, 404, 404, 404, REDIRECT, SUSPENDED, REDIRECT, REDIRECT),
    "resources:edit": owner(200, others=403),
    "resources:licence": owner(200, others=403),
    "resources:submit": POST_ONLY,
    "resources:withdraw": POST_ONLY,
    "resources:delete": owner(200, others=403),
    "resources:stats": owner(200, others=403),
    # The revision history: the author and the moderators.
    "resources:history": (LOGIN, 403, 403, 403, 200, SUSPENDED, 200, 200),
    "resources:history[draft]": (LOGIN, 404, 404, 404, 200, SUSPENDED, 200, 200),
    "resources:zip": members(200),  # DOWNLOAD_REQUIRES_ACCOUNT
    "resources:thumbnail": everyone(404),  # the file has no thumbnail
    "resources:thumbnail_sized": everyone(404),
    "resources:file": members(200),
    "resources:declare_adaptation": POST_ONLY,
    # --- moderation -----------------------------------------------------------------
    "moderation:queue": MODERATORS,
    "moderation:dashboard": MODERATORS,
    "moderation:review": MODERATORS,
    # A moderator sees their own submission's review, but may not decide it
    # (test_issue14_moderators_cannot_decide_on_their_own_work).
    "moderation:review[own_work]": MODERATORS,
    "moderation:edit": MODERATORS,
    "moderation:edit[own_work]": MODERATORS,
    "moderation:remove": MODERATORS,
    "moderation:remove[own_work]": MODERATORS,
    "moderation:file_remove": MODERATORS,
    # Only the author of the decided work objects; for others it does not exist.
    "moderation:object": owner(200, others=404),
    "moderation:objections": STAFF,
    "moderation:objection": STAFF,
    "moderation:objection[own_work]": STAFF,
    "moderation:notice_new": everyone(200),  # anyone may notify an infringement (R29)
    "moderation:notice_sent": everyone(200),
    "moderation:notices": STAFF,
    "moderation:notice": STAFF,
    "moderation:notice[own_work]": STAFF,
    "moderation:report_new": everyone(200),  # visitors report too (R21)
    "moderation:transparency": STAFF,
    "moderation:audit": STAFF,
    "moderation:content_report_new": everyone(200),
    # What a reader cannot see cannot be reported: hidden and held reactions,
    # a private collection (its owner is shown the page), a profile to visitors.
    "moderation:content_report_new[reaction_hidden]": everyone(404),
    "moderation:content_report_new[reaction_held]": everyone(404),
    "moderation:content_report_new[collection]": everyone(200),
    "moderation:content_report_new[collection_private]": (
        (404, 404, 404, 404, 200, SUSPENDED, 404, 404)
    ),
    "moderation:content_report_new[profile]": (404, 200, 200, 200, 200, SUSPENDED, 200, 200),
    # A message is reported by the members of its conversation only.
    "moderation:content_report_new[message]": (404, 404, 404, 404, 200, SUSPENDED, 404, 404),
    "moderation:content_report_new[resource]": everyone(200),
    # A verified organisation and its offer are reported by anyone (R21); a
    # proposal exists only for its administrators and the moderation team.
    "moderation:content_report_new[organisation]": everyone(200),
    "moderation:content_report_new[organisation_proposal]": (
        (404, 404, 404, 404, 200, SUSPENDED, 200, 200)
    ),
    "moderation:content_report_new[training_offer]": everyone(200),
    "moderation:content_report_new[training_offer_excluded]": (
        (404, 404, 404, 404, 404, SUSPENDED, 200, 200)
    ),
    "moderation:content_reports": MODERATORS,
    # One queue for every kind of report (one Report model).
    "moderation:content_report": MODERATORS,
    # A private message is read on messaging's own page.
    "moderation:content_report[message]": SENT_TO_ITS_APP,
    "moderation:content_report[resource]": MODERATORS,
    # --- the API's pages (its JSON operations: commonroom/api/tests/test_role_matrix.py)
    "api:tokens": members(200),
    "api:token_revoke": POST_ONLY,
    "api:docs": everyone(200),
    # Any other address under /api/ is a JSON 404.
    "api:not_found": everyone(404),
    # --- notifications ------------------------------------------------------------
    "notifications:centre": members(200),
    "notifications:preferences": members(200),
    "notifications:unsubscribe": everyone(200),  # the signed token is the key, from an e-mail
    # --- social: feed, reactions, ratings -------------------------------------------
    "social:feed": members(200),
    "social:reaction_post": POST_ONLY,
    "social:rate": POST_ONLY,
    "social:classroom_use": members(200),
    "social:reaction_edit": owner(200, others=403),
    "social:reaction_delete": POST_ONLY,
    "social:reaction_hide": POST_ONLY,
    "social:reaction_moderate": MODERATORS,
    "social:reaction_release": POST_ONLY,
    "social:reaction_reject": POST_ONLY,
    "social:held_reactions": MODERATORS,
    # --- library ----------------------------------------------------------------------
    "library:saved": members(200),
    "library:save": POST_ONLY,
    "library:unsave": POST_ONLY,
    "library:collections": members(200),
    "library:collection_create": members(200),
    "library:collection_add": members(404),  # asked without a resource
    "library:collection": everyone(200),
    # A private collection exists for its owner only, moderators included.
    "library:collection[private]": (404, 404, 404, 404, 200, SUSPENDED, 404, 404),
    "library:collection_short": everyone(REDIRECT),
    "library:collection_short[private]": (404, 404, 404, 404, REDIRECT, SUSPENDED, 404, 404),
    "library:collection_edit": owner(200, others=403),
    "library:collection_delete": owner(200, others=403),
    "library:collection_follow": POST_ONLY,
    "library:collection_unfollow": POST_ONLY,
    "library:item_move": POST_ONLY,
    "library:item_note": owner(200, others=403),
    "library:item_remove": POST_ONLY,
    "library:embed_resource": everyone(200),
    "library:embed_collection": everyone(200),
    "library:embed_collection[private]": everyone(404),  # even its owner: embeds are public
    # --- messaging ----------------------------------------------------------------------
    "messaging:inbox": members(200),
    "messaging:new": members(200),
    # Someone else's conversation does not exist, for moderators and staff too.
    "messaging:conversation": owner(200, others=404),
    "messaging:report_message": owner(200, others=404),  # participants report
    "messaging:blocked": members(200),
    "messaging:block": POST_ONLY,
    "messaging:unblock": POST_ONLY,
    "messaging:reports": MODERATORS,
    "messaging:report": MODERATORS,
    # Messaging's page shows reports on messages only.
    "messaging:report[reaction]": (LOGIN, 403, 403, 403, 403, SUSPENDED, 404, 404),
    "messaging:held": MODERATORS,
    # --- staffroom: everyone reads, members write, moderators moderate -------------------
    # --- OAI-PMH: open to everyone (OAI_REQUIRE_KEY off); the protocol's own errors are 200 ---
    "oai:endpoint": everyone(200),
    "staffroom:categories": everyone(200),
    "staffroom:category": everyone(200),
    "staffroom:thread_new": members(200),
    "staffroom:category_follow": POST_ONLY,
    "staffroom:thread": everyone(200),
    "staffroom:reply": members(200),
    "staffroom:thread_follow": POST_ONLY,
    "staffroom:thread_moderate": MODERATORS,
    "staffroom:post": everyone(REDIRECT),  # a post's permanent link opens its thread
    "staffroom:post_edit": owner(200, others=403),
    "staffroom:post_answer": POST_ONLY,
    "staffroom:post_hide": MODERATORS,
    "staffroom:post_moderate": MODERATORS,
    "staffroom:post_history": MODERATORS,
    # --- people ---------------------------------------------------------------------------
    "people:directory": members(200),
    "people:profile": members(200),  # the owner's profile is for members
    "people:follow": POST_ONLY,
    "people:unfollow": POST_ONLY,
    "people:verify": POST_ONLY,
    "people:unverify": POST_ONLY,
    "people:tutors": members(200),
    "people:tutor_me": members(200),
    "people:following": members(200),
    "people:subjects": members(200),
    "people:subject_follow": POST_ONLY,
    "people:subject_unfollow": POST_ONLY,
    # --- organisations and training (R17, R23 to R25) ---------------------------------------
    "organisations:propose": members(200),
    "organisations:mine": members(200),
    # The short address sends to the page's address with its name.
    "organisations:detail_short": everyone(REDIRECT),
    "organisations:detail": everyone(200),
    "organisations:edit": owner(200, others=403),
    # A logo's address carries a token; without the right one it does not exist.
    "organisations:logo": everyone(404),
    "organisations:administrators": owner(200, others=403),
    "organisations:administrator_remove": POST_ONLY,
    "organisations:invitation_withdraw": POST_ONLY,
    # An invitation exists only for the member it invites (R17).
    "organisations:invitation": owner(200, others=404),
    "organisations:follow": POST_ONLY,
    "organisations:resource_link": POST_ONLY,
    "organisations:resource_unlink": POST_ONLY,
    "organisations:resource_release": POST_ONLY,
    "organisations:unfollow": POST_ONLY,
    "organisations:offer_new": owner(200, others=403),
    "organisations:offer": everyone(200),
    "organisations:offer_edit": owner(200, others=403),
    "organisations:offer_delete": POST_ONLY,
    "organisations:directory": everyone(200),
    "organisations:guide": everyone(200),
    "organisations:guide_save": POST_ONLY,
    "organisations:guide_forget": POST_ONLY,
    "organisations:staff_queue": STAFF,
    "organisations:staff_review": STAFF,
    "organisations:staff_verify": POST_ONLY,
    "organisations:staff_reject": POST_ONLY,
    "organisations:staff_exclude": POST_ONLY,
    # A proposal waiting for staff is seen by its administrators and the moderation team only.
    "organisations:detail[proposal]": (404, 404, 404, 404, 200, SUSPENDED, 200, 200),
    # An excluded organisation's offer is gone for everyone but the moderation team.
    "organisations:offer[excluded]": (404, 404, 404, 404, 404, SUSPENDED, 200, 200),
    # --- search -----------------------------------------------------------------------------
    "search:search": everyone(200),
    "search:suggest": everyone(200),
    "search:saved": members(200),
    "search:saved_create": POST_ONLY,
    "search:saved_edit": owner(200, others=403),
    "search:saved_delete": POST_ONLY,
    "search:insight": STAFF,
    # --- identity: Commonroom as an OpenID Connect provider, sign-in through others (issue 18) ---
    "identity:granted_apps": members(200),
    "identity:app_revoke": POST_ONLY,
    # Asked without a client: members see our error page; visitors sign in first.
    "oauth2_provider:authorize": members(400),
    "oauth2_provider:token": everyone(405),
    "oauth2_provider:revoke-token": everyone(405),
    "oauth2_provider:user-info": everyone(401),  # no bearer token
    "oauth2_provider:oidc-connect-discovery-info": everyone(200),
    "oauth2_provider:jwks-info": everyone(200),
    "socialaccount_login_cancelled": everyone(200),
    "socialaccount_login_error": everyone(401),  # allauth's "could not sign you in"
    "socialaccount_signup": everyone(LOGIN),  # only after an external sign-in
    "socialaccount_connections": members(200),
    "accounts/social/login/cancelled/": everyone(REDIRECT),
    "accounts/social/login/error/": everyone(REDIRECT),
    "accounts/social/signup/": everyone(REDIRECT),
    "accounts/social/connections/": everyone(REDIRECT),
    # No external provider is configured in the tests.
    "openid_connect_login": everyone(404),
    "openid_connect_callback": everyone(404),
    # --- staff --------------------------------------------------------------------------------
    "staff:members": STAFF,
    "staff:suspend": STAFF,
    "staff:lift": POST_ONLY,
}


# --- the Django admin: staff only -------------------------------------------------------


def admin(staff: Answer) -> Row:
    """Anyone but staff, signed in or not, is sent to the admin's sign-in page."""
    others = ADMIN_LOGIN
    return (others, others, others, others, others, SUSPENDED, others, staff)


ADMIN_SITE: dict[str, Row] = {
    "admin:index": admin(200),
    # The sign-in form tells a signed-in member they are not staff.
    "admin:login": (200, 200, 200, 200, 200, SUSPENDED, 200, REDIRECT),
    "admin:logout": (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, SUSPENDED, REDIRECT, 405),
    "admin:password_change": admin(200),
    "admin:password_change_done": admin(200),
    "admin:autocomplete": admin(403),  # asked without a field
    "admin:jsi18n": admin(200),
    "admin:view_on_site": admin(REDIRECT),
    "admin:app_list": admin(200),
    "admin:auth_user_password_change": admin(200),  # a member's password, set by staff
    "admin/(?P<url>.*)$": admin(404),
}

# What staff get from each admin model's pages.
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")
FULL: dict[str, Answer] = {
    "changelist": 200,
    "add": 200,
    "change": 200,
    "delete": 200,
    "history": 200,
}
NO_ADD = FULL | {"add": 403}  # rows only the platform writes; staff may clear them
NO_DELETE = FULL | {"delete": 403}  # rows others point at: retired, never deleted
RECORD = FULL | {"add": 403, "delete": 403}  # a trail: written by services, kept

ADMIN_MODELS: dict[str, dict[str, Answer]] = {
    "auth.group": FULL,
    # Client apps are registered by staff here (issue 18); tokens are the
    # platform's (members revoke theirs on their Connected apps page); a
    # member's link to an external sign-in can be removed by staff.
    "oauth2_provider.application": FULL,
    "oauth2_provider.accesstoken": RECORD,
    "oauth2_provider.refreshtoken": RECORD,
    "socialaccount.socialaccount": FULL,
    "account.emailaddress": FULL,
    "mfa.authenticator": FULL,
    "usersessions.usersession": FULL,
    "django_tasks_database.dbtaskresult": RECORD,
    "core.outboxentry": NO_ADD,
    "taxonomy.educationlevel": FULL,
    "taxonomy.subject": FULL,
    "taxonomy.resourcekind": FULL,
    "taxonomy.language": FULL,
    "taxonomy.province": FULL,
    "taxonomy.trainingtheme": FULL,
    "taxonomy.curriculumframework": FULL,
    "taxonomy.curriculumgoal": FULL,
    "taxonomy.licence": FULL,
    "accounts.member": NO_DELETE,  # erased (the admin action), never deleted
    "accounts.suspension": FULL,
    "accounts.staffaction": RECORD,
    "legal.legaldocument": NO_DELETE,
    "legal.maintenancemode": FULL,
    "legal.contactmessage": FULL,
    "moderation.criterion": NO_DELETE,
    "moderation.auditentry": RECORD,
    "moderation.review": RECORD,
    "moderation.decision": RECORD,
    "moderation.objection": RECORD,
    "moderation.notice": RECORD,
    "moderation.report": RECORD,
    "library.collection": FULL,
    "library.saveditem": FULL,
    "people.verifiedprofile": FULL,
    "people.tutorlisting": FULL,
    "staffroom.category": FULL,
    "oai.harvesterkey": NO_DELETE,  # revoked, never deleted
}


ADMIN_MODEL_PAGES: set[str] = set()


def _admin_model_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for label, staff in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        for view in ADMIN_VIEWS:
            rows[f"admin:{app_label}_{model_name}_{view}"] = admin(staff[view])
        # The old address of a change page sends there.
        rows[f"admin/{app_label}/{model_name}/<path:object_id>/"] = admin(REDIRECT)
    ADMIN_MODEL_PAGES.update(rows)
    return rows


EXPECTED: dict[str, Row] = POLICY | ADMIN_SITE | _admin_model_rows()

# Every admin model page is wrapped in the admin site's own check
# (AdminSite.admin_view) before its ModelAdmin runs, so all members who are
# not staff are refused by the same code. Each model's list is asked of every
# role; its other pages of a visitor (not signed in), a moderator (signed in,
# the most trusted non-staff) and staff (who get the model's own answers).
# Pages a ModelAdmin adds itself have their own rows, asked of every role.
ADMIN_PAGE_ROLES = ("visitor", "moderator", "staff")


def asked(key: str, role: str) -> bool:
    """Whether the matrix sends this role this case (every row stays the policy)."""
    if key in ADMIN_MODEL_PAGES and not key.endswith("_changelist"):
        return role in ADMIN_PAGE_ROLES
    return True


def expected(key: str, role: str) -> Answer:
    return EXPECTED[key][ROLES.index(role)]
