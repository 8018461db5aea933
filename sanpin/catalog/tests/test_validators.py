"""USCC and phone rules: every well-formed code with its computed check character passes, any
single-character change is caught, and each failure says what is wrong in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from sanpin.catalog.validators import validate_phone, validate_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
bodies = st.builds(
    lambda head, tail: head + tail,
    st.text("0123456789", min_size=8, max_size=8),
    st.text(ALPHABET, min_size=9, max_size=9),
)


@given(body=bodies)
def test_any_body_with_its_check_character_is_valid(body):
    code = body + uscc.calc_check_digit(body)

    assert validate_uscc(code) == code
    assert validate_uscc(f"  {code.lower()} ") == code  # pasted with spaces, typed in lower case


@given(body=bodies, position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET + "IOSVZ*#"))
def test_any_single_character_change_is_refused(body, position, replacement):
    code = body + uscc.calc_check_digit(body)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1:]

    with pytest.raises(ValidationError):
        validate_uscc(changed)


@pytest.mark.parametrize(("value", "message"), [
    ("", "请填写统一社会信用代码"),
    ("91450102MA5L0000", "长度应为18位"),
    ("91450102MA5L0000011", "长度应为18位"),
    ("9145010200000000X1", "校验位不正确"),
    ("914501020000000I0X", "格式不正确"),
])
def test_each_uscc_failure_has_a_chinese_reason(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)
    assert message in caught.value.messages[0]


@pytest.mark.parametrize(
    "value", ["13800000000", "+86 138 0000 0000", "0771-5551234", "07715551234", "021-61234567-802"]
)
def test_plausible_phone_numbers_pass(value):
    assert validate_phone(value)


@pytest.mark.parametrize("value", ["12345", "23800000000", "138000000001", "电话", "5551234"])
def test_implausible_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_signup_phone_must_be_a_mobile_number():
    with pytest.raises(ValidationError):
        validate_phone("0771-5551234", mobile_only=True)


@pytest.mark.parametrize("body", ["N2450102MA5K00001", "Y1310101MA1FL0002"])
def test_letter_led_codes_of_rural_collectives_and_others_are_accepted(body):
    """Rural collective economic organisations (N…) and other bodies (Y…) hold valid codes too."""
    code = body + uscc.calc_check_digit(body)
    assert validate_uscc(code) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_uscc(wrong)


def test_a_letter_led_code_needs_a_region_code():
    body = "N2ABCDEFMA5K00001"
    with pytest.raises(ValidationError, match="格式不正确"):
        validate_uscc(body + uscc.calc_check_digit(body))
