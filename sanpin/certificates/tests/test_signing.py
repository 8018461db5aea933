"""Signed QR codes: Ed25519 signatures over the number, key rotation, QR size."""

import base64

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sanpin.certificates import signing

NUMBER = "LSSZ-02-1612110065"


def raw_key() -> str:
    key = Ed25519PrivateKey.generate()
    return base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode()


def test_a_signed_url_verifies_and_names_its_number(settings):
    settings.SITE_URL = "https://lssz.example.cn"
    url = signing.signed_url(NUMBER)

    assert url.startswith(f"https://lssz.example.cn/v/{NUMBER}/?s=dev.")
    assert signing.verify_scan(url) == (NUMBER, "valid")


def test_a_bare_number_has_no_signature():
    assert signing.verify_scan(" lssz-02-1612110065 ") == (NUMBER, "missing")


def test_an_altered_number_or_signature_is_bad():
    url = signing.signed_url(NUMBER)
    altered_number = url.replace(NUMBER, "LSSZ-02-1612110066")
    token = url.split("?s=")[1]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]

    assert signing.verify_scan(altered_number)[1] == "bad"
    assert signing.verify_scan(url.replace(token, flipped))[1] == "bad"
    assert signing.verify_scan(url.replace("?s=dev.", "?s=old."))[1] == "bad"
    assert signing.verify_scan(url.replace("?s=dev.", "?s=dev.!!"))[1] == "bad"


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.text(max_size=120))
def test_any_scanned_text_gives_an_answer_not_an_error(text):
    number, state = signing.verify_scan(text)
    assert state in {"valid", "missing", "bad"}
    assert isinstance(number, str)


def test_key_rotation_keeps_old_signatures_valid(settings):
    old, new = raw_key(), raw_key()
    settings.SIGNING_KEYS = {"k2025": old}
    old_url = signing.signed_url(NUMBER)

    settings.SIGNING_KEYS = {"k2026": new, "k2025": old}
    new_url = signing.signed_url(NUMBER)

    assert "?s=k2026." in new_url
    assert signing.verify_scan(old_url) == (NUMBER, "valid")
    assert signing.verify_scan(new_url) == (NUMBER, "valid")
    assert set(signing.public_keys()) == {"k2026", "k2025"}

    settings.SIGNING_KEYS = {"k2026": new}  # a retired key no longer verifies
    assert signing.verify_scan(old_url)[1] == "bad"


def test_the_development_key_is_derived_from_the_secret_key(settings):
    settings.SIGNING_KEYS = {}
    first = signing.public_keys()
    settings.SECRET_KEY = "another-secret"
    assert list(first) == ["dev"]
    assert signing.public_keys() != first


def test_the_qr_code_fits_version_8_at_level_m(settings):
    # A production-like host and a five-character key id; the budget is in the decision record.
    settings.SITE_URL = "https://sanpin.greenfood.org.cn"
    settings.SIGNING_KEYS = {"k2026": raw_key()}
    url = signing.signed_url("LSSZ-09-2612519999")

    assert len(url.encode()) <= signing.QR_URL_BUDGET
    assert segno.make(url, error="m").version <= 8
    assert "<svg" in signing.qr_svg(NUMBER)
