"""Merge-field templates: rendering, escaping, and the problems a template is refused for when saved."""

from __future__ import annotations

import pytest

from crm_core.templates import MailTemplate, TemplateRenderError, check_template, render_template

FIELDS = ["first_name", "last_name", "company"]


def test_merge_fields_render_with_the_recipients_values() -> None:
    mail = MailTemplate(
        subject="{{ first_name }}, скидка для {{ company }}",
        text="Здравствуйте, {{ first_name }} {{ last_name }}!",
        html="<p>Здравствуйте, {{ first_name }}!</p>",
    )

    rendered = mail.render({"first_name": "Анна", "last_name": "Смирнова", "company": "ООО «Ромашка»"})

    assert rendered.subject == "Анна, скидка для ООО «Ромашка»"
    assert rendered.text == "Здравствуйте, Анна Смирнова!"
    assert rendered.html == "<p>Здравствуйте, Анна!</p>"


def test_html_escapes_values_and_text_keeps_them() -> None:
    mail = MailTemplate(subject="s", text="{{ first_name }}", html="<p>{{ first_name }}</p>")

    rendered = mail.render({"first_name": '<script>alert("x")</script> & Co'})

    assert rendered.html == "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co</p>"
    assert rendered.text == '<script>alert("x")</script> & Co'


def test_missing_values_render_empty_at_send_time() -> None:
    assert render_template("Привет, {{ first_name }}{{ company.name }}!", {}) == "Привет, !"


def test_subject_renders_as_one_line_even_when_a_value_holds_newlines() -> None:
    rendered = MailTemplate(subject="Привет, {{ first_name }}", text="").render({"first_name": "Анна\nBcc: x@y"})
    assert rendered.subject == "Привет, Анна Bcc: x@y"


def test_unknown_field_is_refused_naming_it() -> None:
    problems = check_template("Здравствуйте, {{ frist_name }} из {{ company }}", FIELDS, field="text")

    assert [(p.field, p.code) for p in problems] == [("text", "unknown_field")]
    assert "'frist_name'" in problems[0].message


def test_unknown_field_inside_a_branch_is_refused_too() -> None:
    problems = check_template("{% if first_name %}{{ middle_name }}{% endif %}", FIELDS)
    assert [p.code for p in problems] == ["unknown_field"] and "middle_name" in problems[0].message


def test_names_set_or_looped_inside_the_template_are_not_unknown_fields() -> None:
    assert check_template("{% set greeting = 'Привет' %}{{ greeting }}, {{ first_name }}", FIELDS) == []


@pytest.mark.parametrize(
    "source", ["Привет, {{ first_name ", "{% if first_name %}нет конца", "{{ first_name|nosuch }}"]
)
def test_syntax_errors_are_field_problems_with_the_line(source: str) -> None:
    problems = check_template(source, FIELDS, field="html", html=True)

    assert [(p.field, p.code) for p in problems] == [("html", "template_syntax")]
    assert problems[0].message.startswith("line 1:")


def test_reaching_into_python_internals_is_refused_at_save_time() -> None:
    problems = check_template("{{ first_name.__class__.__mro__ }}", FIELDS)
    assert [p.code for p in problems] == ["template_unsafe"]


def test_reaching_into_python_internals_at_send_time_renders_nothing_dangerous() -> None:
    assert render_template("{{ first_name.__class__.__mro__ }}", {"first_name": "x"}) == ""


def test_a_template_failing_for_one_recipient_raises_a_render_error() -> None:
    with pytest.raises(TemplateRenderError):
        render_template("{{ first_name + 1 }}", {"first_name": "Анна"})


def test_mail_template_check_names_each_part_and_wants_a_subject() -> None:
    mail = MailTemplate(subject=" ", text="{{ bad }}", html="<p>{{ first_name }</p>")

    problems = {(p.field, p.code) for p in mail.check(FIELDS)}

    assert problems == {("subject", "required"), ("text", "unknown_field"), ("html", "template_syntax")}


def test_a_good_mail_template_has_no_problems() -> None:
    assert MailTemplate("Привет, {{ first_name }}", "Текст", "<p>{{ company }}</p>").check(FIELDS) == []
