from cryptography.fernet import Fernet
from django.core.management import call_command


def test_generate_field_key_prints_a_usable_key(capsys):
    call_command("generate-field-key")
    key = capsys.readouterr().out.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"640323")) == b"640323"
