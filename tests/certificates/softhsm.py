"""A SoftHSM token (Debian's ``softhsm2``) standing in for an agency's USB token: made in a
temporary directory, holding an agency key and certificate issued by the test CA.

A PKCS#11 module reads its configuration once per process, when it is first loaded: the token
directory is made once per test session and ``SOFTHSM2_CONF`` stays set for the session.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

MODULE_PATHS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "LMS agency token"
KEY_LABEL = "agency"
PIN = "246810"
SO_PIN = "13579135"
PIN_ENV = "LMS_TEST_TOKEN_PIN"


def module_path() -> str | None:
    """The SoftHSM PKCS#11 module, or None when softhsm2 is not installed."""
    if shutil.which("softhsm2-util") is None:
        return None
    return next((path for path in MODULE_PATHS if Path(path).exists()), None)


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    certificate_pem: bytes


def _util(*args: str, env: dict) -> None:
    subprocess.run(  # noqa: S603 (a fixed program, our own arguments)
        [shutil.which("softhsm2-util"), *args], env=env, check=True, capture_output=True, text=True
    )


def make_token(ca, directory: Path) -> Token:
    """Initialise a token in ``directory``, import an agency key pair (PKCS#8) and its
    certificate (same label and id, as agencies' tokens hold them)."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.util.x509 import decode_x509_certificate

    module = module_path()
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the module when it is first loaded
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    key, certificate = ca.issue_agency(common_name="Sở Nội vụ (token)")
    key_file = directory / "agency-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    _util("--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN,
          env=env)  # fmt: skip
    _util("--import", str(key_file), "--token", TOKEN_LABEL, "--label", KEY_LABEL, "--id", "01",
          "--pin", PIN, env=env)  # fmt: skip
    key_file.unlink()
    der = certificate.public_bytes(serialization.Encoding.DER)
    ca_der = ca.certificate.public_bytes(serialization.Encoding.DER)
    token = pkcs11.lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        for label, value, object_id in ((KEY_LABEL, der, b"\x01"), ("test CA", ca_der, b"\x02")):
            attributes = decode_x509_certificate(value)
            attributes.update(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.LABEL: label,
                    Attribute.ID: object_id,
                    Attribute.TOKEN: True,
                }
            )
            session.create_object(attributes)
    return Token(
        module=module,
        label=TOKEN_LABEL,
        key_label=KEY_LABEL,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )
