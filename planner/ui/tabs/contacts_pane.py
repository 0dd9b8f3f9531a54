"""The Contacts tab's detail pane, built the first time something needs it (ContactsTab
mixes this in): with no contact shown the pane is one line of text, so the tab paints and
loads without building its few hundred widgets first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QSplitter

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
        self.splitter.replaceWidget(1, detail)
        if sum(sizes):
            self.splitter.setSizes(sizes)
        self.detail_placeholder.deleteLater()
        return detail
