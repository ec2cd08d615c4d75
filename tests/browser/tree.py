"""Choosing a level or subject in the tree widget (issue 13 item 13): a
child sits in its parent's folded <details>, opened the way a reader does."""


def check_term(page, label: str, *, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_role("checkbox", name=label, exact=exact, include_hidden=True)
    closed = box.locator("xpath=ancestor::details[not(@open)]/summary")
    while closed.count():
        closed.first.click()  # the outermost first
    box.check()
