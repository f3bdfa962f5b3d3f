"""What every app's forms share."""


class MarkErrors:
    """Bootstrap's is-invalid (and aria-invalid) on fields that failed validation."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None:
                attrs = field.widget.attrs
                attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
                attrs["aria-invalid"] = "true"
