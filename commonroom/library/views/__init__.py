"""Pages of the library: saved resources, collections, follows and embeds."""
