"""Fields of the core's forms: money typed as the page's language writes it."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from delegation.currencies import currency_choices
from delegation.forms import CurrencyField, LocalizedDecimalField


class AmountForm(forms.Form):
    amount = LocalizedDecimalField(max_digits=14, decimal_places=2)
    currency = CurrencyField(first=["JPY"])


def read(text, language):
    with translation.override(language):
        form = AmountForm({"amount": text, "currency": "jpy"})
        return form.cleaned_data["amount"] if form.is_valid() else form.errors


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("id", "5.950.000", Decimal("5950000")),
        ("id", "5.950.000,50", Decimal("5950000.50")),
        ("id", "5950000", Decimal("5950000")),
        ("id", "1.650", Decimal("1650")),
        ("id", "1,5", Decimal("1.5")),
        ("id", "108.5", Decimal("108.5")),  # cannot be a thousands group: a decimal point
        ("id", " 5 950 000 ", Decimal("5950000")),
        ("en", "5,950,000.50", Decimal("5950000.50")),
        ("en", "1,650", Decimal("1650")),
        ("en", "1.5", Decimal("1.5")),
    ],
)
def test_an_amount_is_read_in_the_pages_language(language, text, amount):
    assert read(text, language) == amount


@pytest.mark.parametrize(
    ("language", "text"),
    [("id", "5,950,000.50"), ("en", "5.950.000,50"), ("id", "12.34.567"), ("id", "abc")],
)
def test_an_amount_in_another_languages_format_is_refused_not_guessed(language, text):
    assert "amount" in read(text, language)


def test_a_saved_amount_is_shown_back_in_the_pages_language():
    field = LocalizedDecimalField()
    with translation.override("id"):
        assert field.prepare_value(Decimal("5950000.50")) == "5.950.000,5"
    with translation.override("en"):
        assert field.prepare_value(Decimal("5950000.50")) == "5,950,000.5"


def test_currencies_are_a_choice_with_the_programmes_first_and_any_case_accepted():
    codes = [code for code, _ in currency_choices(["JPY", "IDR"])]
    assert codes[:2] == ["JPY", "IDR"]
    assert len(codes) == len(set(codes)) and "USD" in codes
    assert read("1", "id") == Decimal("1")  # "jpy" typed in lower case is JPY
    with translation.override("id"):
        assert "currency" in AmountForm({"amount": "1", "currency": "XXX1"}).errors
