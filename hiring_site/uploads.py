"""An upload handler that stops keeping a file once it passes the upload limit.

The only files this app accepts are role blueprints (at most 2 MB). A bigger upload is
still read off the connection, so that the form's other fields (the CSRF token) arrive
and the page can answer with a message, but its bytes are neither kept in memory nor
written to a temporary file: the form then sees an empty stand-in that carries the real
size and refuses it by name.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(UploadedFile):
    """What remains of a file over the limit: its name, type and size, no content."""

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name, content_type, size)


class CappedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on until the file is over the limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    @property
    def limit(self) -> int:
        return settings.UPLOAD_FILE_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.content_type, self.received)
        return None  # within the limit: the default handlers keep the file
