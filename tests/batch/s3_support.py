"""A real S3-protocol server for the object-storage tests: moto's server on a free loopback port
(``ThreadedMotoServer``), with fake credentials, and a raw ``s3fs`` view of it for the asserts."""

from __future__ import annotations

import uuid
from typing import Any

import s3fs
from moto.server import ThreadedMotoServer

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing-key-id",
    "AWS_SECRET_ACCESS_KEY": "testing-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
}
"""What the tests put into the environment: the standard AWS chain reads them (moto accepts any)."""


class MotoS3:
    """moto's S3 server on ``127.0.0.1`` and a free port; ``stop()`` ends it."""

    def __init__(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def fs(self) -> Any:
        """A fresh ``s3fs`` file system on the server (credentials from the environment)."""
        return s3fs.S3FileSystem(
            client_kwargs={"endpoint_url": self.endpoint}, skip_instance_cache=True
        )

    def new_bucket(self) -> str:
        """Create a bucket with a unique name; return the name."""
        name = f"batch-{uuid.uuid4().hex[:12]}"
        self.fs().mkdir(name)
        return name

    def stop(self) -> None:
        self.server.stop()


def pending_uploads(fs: Any, bucket: str) -> list[dict[str, Any]]:
    """The bucket's incomplete multipart uploads."""
    uploads: list[dict[str, Any]] = fs.call_s3("list_multipart_uploads", Bucket=bucket).get(
        "Uploads", []
    )
    return uploads
