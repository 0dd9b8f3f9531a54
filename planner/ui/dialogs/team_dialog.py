"""File > Connect to team database…: the server's URL, the password (kept in the system
keyring) and who you are to your teammates. Returns a draft; the main window connects."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from planner.ui.widgets.contact_fields import error_label, show_error


@dataclass(frozen=True)
class TeamConnection:
    url: str  # without the password
    user: str  # the database role, from the URL
    password: str
    name: str
    email: str


def parse_team_url(text: str) -> tuple[str, str]:
    """'postgresql://ana@db.example/team' -> (normalised URL without password, role);
    raises ValueError with a message for the form."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    text = text.strip()
    if not text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValueError("Use a PostgreSQL URL: postgresql://user@server/database")
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise ValueError("That is not a valid URL: postgresql://user@server/database") from exc
    if not url.host or not url.database:
        raise ValueError("Name the server and the database: postgresql://user@server/database")
    if not url.username:
        raise ValueError("Name the database user: postgresql://user@server/database")
    clean = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return clean.render_as_string(hide_password=False), str(url.username)


class TeamDialog(QDialog):
    def __init__(
        self,
        url: str = "",
        password: str = "",
        name: str = "",
        email: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamDialog")
        self.setWindowTitle("Connect to team database")
        form = QFormLayout(self)
        intro = QLabel(
            "Share one network with your team on a PostgreSQL server. The password is kept "
            "in your system's keyring, never in the settings file."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.url = self._edit("teamUrl", "Database URL", url, "postgresql://you@server/database")
        self.password = self._edit("teamPassword", "Password", password, "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.name = self._edit("teamName", "Your name", name, "as teammates will see it")
        self.email = self._edit("teamEmail", "Your e-mail", email, "you@example.org")
        self.url_error = error_label("teamUrlError")
        self.name_error = error_label("teamNameError")
        form.addRow("Database &URL:", self.url)
        form.addRow("", self.url_error)
        form.addRow("&Password:", self.password)
        form.addRow("Your &name:", self.name)
        form.addRow("", self.name_error)
        form.addRow("Your &e-mail:", self.email)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Connect")
        ok.setObjectName("teamConnectButton")
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())
        self._result: TeamConnection | None = None

    def _edit(self, name: str, accessible: str, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _on_accept(self) -> None:
        try:
            url, user = parse_team_url(self.url.text())
        except ValueError as exc:
            show_error(self.url_error, str(exc))
            self.url.setFocus()
            return
        show_error(self.url_error, "")
        name = " ".join(self.name.text().split())
        if not name:
            show_error(self.name_error, "Teammates see this name on what you add and change.")
            self.name.setFocus()
            return
        show_error(self.name_error, "")
        self._result = TeamConnection(
            url, user, self.password.text(), name, self.email.text().strip()
        )
        self.accept()

    def connection(self) -> TeamConnection | None:
        return self._result
