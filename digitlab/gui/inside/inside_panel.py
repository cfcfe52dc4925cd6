"""The Inside tab: the digit picker above one sub-tab per view of
:data:`digitlab.gui.inside.views.INSIDE_VIEWS`."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..session import Session
from .context import InsideContext
from .digit_picker import DigitPicker
from .views import INSIDE_VIEWS


class InsidePanel(QWidget):
    """The views that look inside the current model, sharing one :class:`InsideContext`."""

    def __init__(self, session: Session, parent: QWidget | None = None,
                 context: InsideContext | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insidePanel")
        self.session = session
        # the main window owns the context (the Draw panel feeds it before this tab exists)
        self.context = context if context is not None else InsideContext(self)
        #: where the digit comes from: the Draw tab (connected by the main window) or a test digit
        self.picker = DigitPicker(session, self.context, self)
        self.views = QTabWidget(self)
        self.views.setObjectName("insideViews")
        self.views.setDocumentMode(True)
        for title, factory in INSIDE_VIEWS:
            self.views.addTab(factory(session, self.context),
                              QCoreApplication.translate("Inside", title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picker)
        layout.addWidget(self.views, 1)
