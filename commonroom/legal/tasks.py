from django_tasks import task

from commonroom.legal.services import contact_message_email_build


@task()
def contact_message_email_send(*, contact_id: int) -> bool:
    """Mail a contact message to the operator; built here, from the id."""
    message = contact_message_email_build(contact_id=contact_id)
    return bool(message and message.send())
