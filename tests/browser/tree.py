"""Choosing a level or subject in the tree widget (issue 13 item 13): a
child sits in its parent's folded <details>, opened the way a reader does."""


def check_term(page, label: str, *, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("checkbox", name=label, exact=exact, include_hidden=True)
    closed = box.locator("xpath=ancestor::details[not(@open)]/summary")
    while closed.count():
        closed.first.click()  # the outermost first
    box.check()


def fill_upload_form(page, *, title: str, description: str, files=()) -> None:  # type: ignore[no-untyped-def]
    """The upload form's required fields for an English worksheet in biology,
    first stage of secondary education, with the rights confirmed."""
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(description)
    if files:
        page.get_by_label("Files").set_input_files([str(f) for f in files])
    page.locator("#id_kind").select_option(label="Worksheet or exercise")
    page.locator("#id_language").select_option(label="English")
    check_term(page, "Science and technology › Biology")
    check_term(page, "Secondary education › First stage", exact=True)
    page.locator("#id_rights_confirmed").check()
