"""The Contacts tab's detail pane, built the first time something needs it (ContactsTab
mixes this in): with no contact shown the pane is one line of text, so the tab paints and
loads without building its few hundred widgets first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QSplitter, QWidget

if TYPE_CHECKING:
    from planner.core.contacts import ContactService
    from planner.core.referrals import ReferralService
    from planner.core.touchpoints import TouchpointService
    from planner.ui.context import TabContext
    from planner.ui.widgets.contact_detail import ContactDetail
    from planner.ui.widgets.contact_organisations_widget import ContactOrganisationsWidget


class DetailPaneHost:
    """The part of ContactsTab that owns the detail pane; `self` is that tab."""

    context: TabContext
    contacts: ContactService
    touchpoints: TouchpointService
    referrals: ReferralService
    splitter: QSplitter
    detail_placeholder: QLabel
    detail_area: QWidget
    organisations_pane: ContactOrganisationsWidget
    # The pane once built; what it is given when it is (the list's events and tag names).
    _detail: ContactDetail | None
    _events_shown: list[tuple[int, str, date | None]] | None
    _tag_names: list[str]
    save_fields: Callable[..., Any]
    _search_for_picker: Callable[[str], list[tuple[int, str]]]
    _name_of: Callable[[int], str]
    _on_detail_log_touch: Callable[[], None]
    edit_touchpoint: Callable[..., None]
    delete_touchpoint: Callable[..., None]
    add_referral: Callable[[], None]
    edit_referral: Callable[..., None]
    delete_referral: Callable[..., None]

    @property
    def detail(self) -> ContactDetail:
        """The contact detail pane, built the first time something needs it (a contact is
        shown, an action asks for it). With no contact shown it is only a line of text, so
        the tab shows and loads without building its few hundred widgets (tens of ms)."""
        if self._detail is None:
            self._detail = self._build_detail()
        return self._detail

    def _shown_id(self) -> int | None:
        """The contact in the detail pane; None while the pane is not built."""
        return self._detail.contact_id() if self._detail is not None else None

    def _build_detail(self) -> ContactDetail:
        # Imported here: the tab's first paint does not need these modules.
        from planner.ui.widgets.contact_detail import ContactDetail
        from planner.ui.widgets.contact_organisations_widget import ContactOrganisationsWidget

        detail = ContactDetail(
            self.contacts,
            self.touchpoints,
            self.referrals,
            self.save_fields,
            self._search_for_picker,
            self._name_of,
            context=self.context,
        )
        # Memberships and "met through" live in the Organisations feature's own widget.
        self.organisations_pane = ContactOrganisationsWidget(self.context)
        self.organisations_pane.layout().setContentsMargins(8, 8, 8, 8)
        detail.tabs.addTab(self.organisations_pane, "Or&ganisations")
        if self._events_shown is not None:
            detail.set_events(self._events_shown)
        detail.tags.set_known_tags(self._tag_names)
        detail.log_touch_requested.connect(self._on_detail_log_touch)
        detail.edit_touch_requested.connect(self.edit_touchpoint)
        detail.delete_touch_requested.connect(self.delete_touchpoint)
        detail.add_referral_requested.connect(self.add_referral)
        detail.edit_referral_requested.connect(self.edit_referral)
        detail.delete_referral_requested.connect(self.delete_referral)
        detail.followup_requested.connect(self.context.bus.followup_requested)
        detail.contact_shown.connect(self.organisations_pane.set_contact)
        # Following the bus from now on is enough: the pane had nothing to refresh before,
        # and the list's own slots never ask it for a read in the same signal.
        detail.follow(self.context.bus)
        # In the placeholder's place and size: the list keeps its width.
        sizes = self.splitter.sizes()
        # Kept here too: PySide does not hand the area's ownership to the splitter.
        self.detail_area = _scrolling_down(detail)
        self.splitter.replaceWidget(1, self.detail_area)
        if sum(sizes):
            self.splitter.setSizes(sizes)
        self.detail_placeholder.deleteLater()
        return detail


def _scrolling_down(detail: QWidget) -> QWidget:
    """The pane in a scroll area of its own that scrolls up and down only (never narrower than
    the pane): in a window too low for the pane (683x384 logical pixels at 200 %) it scrolls by
    itself, where it made the whole tab taller than the window and hid the list's last rows
    under its edge. In any larger window the area shows no scroll bar."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame

    from planner.ui.widgets.contact_detail_view import FormScrollArea

    area = FormScrollArea()
    area.setObjectName("contactDetailScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(detail)
    return area
