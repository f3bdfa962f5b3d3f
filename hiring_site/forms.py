"""What every app's forms share."""

# The largest integer the database takes (a BigAutoField): a number a form or a query
# parameter gives is at most this, so none reaches a query unstorable (SQLite refuses
# it with an error) or is compared with an id that cannot exist.
MAX_INT = 2**63 - 1


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
