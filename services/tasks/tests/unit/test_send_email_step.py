"""The send_email action of process definitions: a template id (or a variable holding one) is required."""

from __future__ import annotations

import pytest

from crm_core.errors import InvalidArgument
from crm_tasks.processes.parser import parse_definition

DEFINITION = """
key: offer-mail
name: Offer
trigger: {{event: manual}}
variables: {{offer_template_id: ""}}
steps:
  - id: offer
    type: action
    action: send_email
    {template}
    next: done
  - id: done
    type: end
"""


def test_a_send_email_step_takes_a_template_id_or_a_variable() -> None:
    step = parse_definition(DEFINITION.format(template='template_id: "{offer_template_id}"')).steps["offer"]
    assert (step.action, step.template_id) == ("send_email", "{offer_template_id}")


@pytest.mark.parametrize(
    ("template", "code"),
    [("", "required"), ('template_id: "{no_such_variable}"', "unknown_variable")],
)
def test_a_send_email_step_without_a_usable_template_is_refused(template: str, code: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_definition(DEFINITION.format(template=template))
    assert code in [p.code for p in refused.value.fields]
