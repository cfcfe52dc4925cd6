"""Views side by side where there is room, and as tabs where there is not.

A page with three plots fits a 1920x1080 screen side by side; on a 1024x600 netbook the same
page is about 600x380 pixels, and side by side every plot would be squeezed until its title and
axis labels are cut. :class:`SideBySideOrTabs` shows its views in splitters while it is at
least ``wide`` x ``tall`` pixels and as one tab per view below that, so each view then gets the
whole area. Its minimum size is the tabbed one: a parent never has to grow for it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLayout, QSplitter, QStackedLayout, QTabWidget, QWidget


class SideBySideOrTabs(QWidget):
    """Groups of views in splitters when there is room, else every view on its own tab.

    Parameters
    ----------
    wide, tall : the smallest size (pixels) at which the views are shown side by side.
    orientation : how the groups are arranged side by side; the views within a group go the
        other way (``Horizontal``: groups are columns, their views stacked top to bottom).
    """

    def __init__(self, wide: int, tall: int,
                 orientation: Qt.Orientation = Qt.Orientation.Horizontal,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold = QSize(wide, tall)
        self._views: list[tuple[QWidget, str, int]] = []  # (view, tab title, group)
        self._stretch: dict[QWidget, int] = {}
        inner = (Qt.Orientation.Vertical if orientation == Qt.Orientation.Horizontal
                 else Qt.Orientation.Horizontal)
        self._inner_orientation = inner
        self.splitter = QSplitter(orientation, self)
        self.splitter.setChildrenCollapsible(False)
        self._groups: list[QSplitter] = []
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self._stack = QStackedLayout(self)
        # The tabbed minimum is the widget's minimum (see minimumSizeHint), not the splitter's.
        self._stack.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._stack.addWidget(self.splitter)
        self._stack.addWidget(self.tabs)
        self._tabbed = False
        self._group_stretch: dict[int, int] = {}
        self._sized = False  # the splitter gets its stretch proportions on its first showing

    def add_view(self, view: QWidget, title: str, group: int, stretch: int = 1) -> None:
        """Add ``view`` (tab title ``title``) to group ``group`` (0, 1, ... in order)."""
        while len(self._groups) <= group:
            splitter = QSplitter(self._inner_orientation)
            splitter.setChildrenCollapsible(False)
            self.splitter.addWidget(splitter)
            self._groups.append(splitter)
        self._views.append((view, title, group))
        self._stretch[view] = stretch
        self._place_side_by_side(view, group)

    def set_group_stretch(self, group: int, stretch: int) -> None:
        self._group_stretch[group] = stretch
        self.splitter.setStretchFactor(group, stretch)

    def is_tabbed(self) -> bool:
        return self._tabbed

    def show_view(self, view: QWidget) -> None:
        """Bring ``view`` forward if it is on a tab (side by side it is already in sight)."""
        if self._tabbed:
            self.tabs.setCurrentWidget(view)

    def set_tab_title(self, view: QWidget, title: str) -> None:
        self._views = [(v, title if v is view else t, g) for v, t, g in self._views]
        index = self.tabs.indexOf(view)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        size = QSize(0, 0)
        for view, _title, _group in self._views:
            size = size.expandedTo(view.minimumSizeHint().expandedTo(view.minimumSize()))
        return size + QSize(0, self.tabs.tabBar().sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.splitter.sizeHint().expandedTo(self.minimumSizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.arrange(event.size())
        if not self._tabbed and not self._sized:
            self._share_by_stretch(event.size())
        super().resizeEvent(event)

    def _share_by_stretch(self, size: QSize) -> None:
        # A splitter shares only the room beyond its children's size hints by stretch; share
        # all of it, so a wide table next to a plot is not left at its hint.
        self._sized = True
        total = size.width() if self.splitter.orientation() == Qt.Orientation.Horizontal \
            else size.height()
        weights = [self._group_stretch.get(i, 1) for i in range(len(self._groups))]
        if total > 0 and weights:
            self.splitter.setSizes([total * w // sum(weights) for w in weights])

    def arrange(self, size: QSize) -> None:
        """Tabs below the threshold size, side by side at or above it."""
        tabbed = size.width() < self.threshold.width() or size.height() < self.threshold.height()
        if tabbed == self._tabbed:
            return
        self._tabbed = tabbed
        current = self.tabs.currentIndex()
        if tabbed:
            for view, title, _group in self._views:
                self.tabs.addTab(view, title)  # the tab widget shows the current one only
            self.tabs.setCurrentIndex(max(0, current))
            self._stack.setCurrentWidget(self.tabs)
        else:
            while self.tabs.count():
                self.tabs.removeTab(0)
            for view, _title, group in self._views:
                self._place_side_by_side(view, group)
                view.show()
            self._stack.setCurrentWidget(self.splitter)
            self._sized = False

    def _place_side_by_side(self, view: QWidget, group: int) -> None:
        splitter = self._groups[group]
        splitter.addWidget(view)
        splitter.setStretchFactor(splitter.indexOf(view), self._stretch[view])
