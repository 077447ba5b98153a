"""A test certification authority (made with ``cryptography``) that issues agency signing
certificates as PKCS#12 files, and the signer configurations that use them."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from certificates.models import CertificateSigner

PASSWORD = "mật-khẩu-thử"
PASSWORD_ENV = "LMS_TEST_SIGNING_PASSWORD"


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class SigningCA:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(cls, name: str = "LMS Test Root CA") -> "SigningCA":
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(name, "Test CA"))
            .issuer_name(_name(name, "Test CA"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return cls(key=key, certificate=certificate)

    def issue_agency(
        self,
        *,
        common_name: str = "Ban Tuyên giáo Trung ương",
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, "Cơ quan thử nghiệm"))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or now - timedelta(days=1))
            .not_valid_after(valid_until or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return key, certificate

    def pkcs12_file(self, directory: Path, *, password: str = PASSWORD, **agency) -> Path:
        key, certificate = self.issue_agency(**agency)
        data = pkcs12.serialize_key_and_certificates(
            b"agency",
            key,
            certificate,
            [self.certificate],
            serialization.BestAvailableEncryption(password.encode()),
        )
        path = directory / f"agency-{certificate.serial_number}.p12"
        path.write_bytes(data)
        return path

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def signer_config(template, pkcs12_path: Path, **fields) -> CertificateSigner:
    """An unsaved signer configuration reading its password from ``PASSWORD_ENV``."""
    fields.setdefault("signer_name", "Nguyễn Văn An, Chánh Văn phòng")
    fields.setdefault("password_env", PASSWORD_ENV)
    return CertificateSigner(
        template=template,
        kind=CertificateSigner.Kind.PKCS12,
        pkcs12_path=str(pkcs12_path),
        **fields,
    )
