"""Windows that fit small screens: scrolling tab pages and docks, and geometry kept on the screen.

DigitLab's windows must stay usable on a 1024x600 netbook and a 1366x768 laptop, with a title
bar and a desktop panel taking their share. Two rules make that hold whatever a panel contains:

- every page of a tab widget and every dock's panel sits in a :class:`QScrollArea`, so a panel's
  own minimum size (a confusion matrix, a column of histograms) never becomes the window's: on a
  small screen the page scrolls instead of pushing the Training controls off the bottom;
- a window opens inside the screen's available geometry (:func:`fit_to_screen`), whether its
  size comes from the saved settings of a bigger monitor or from a default made for 1280x800.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

#: Room kept above a window for a title bar that is not known until the window manager maps it.
TITLE_BAR_ALLOWANCE = 32
#: Room kept on the other sides for the frame's border.
FRAME_BORDER = 4
#: No window needs more than this to be usable; tests hold every window to it.
MAXIMUM_MINIMUM_SIZE = QSize(1000, 520)


class PageScrollArea(QScrollArea):
    """A frameless scroll area that gives its page the whole view, or the page's minimum size.

    Not ``widgetResizable``: that mode sizes a page whose layout has height-for-width (any
    word-wrapped label) at its *preferred* height, so pages of plots scrolled even where their
    minimum fitted. Here the page is as large as the view and never smaller than its minimum
    size; only then do scroll bars appear.
    """

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{page.objectName() or 'page'}Scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)
        page.installEventFilter(self)

    def set_page(self, page: QWidget) -> None:
        """Put ``page`` where the current one (a placeholder, say) was."""
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(page)
        page.installEventFilter(self)
        page.show()  # a widget set into a visible scroll area is not shown by itself
        self.fit_page()

    def fit_page(self) -> None:
        page = self.widget()
        if page is None:
            return
        minimum = page.minimumSizeHint().expandedTo(page.minimumSize())
        view = self.viewport().size()
        page.resize(max(view.width(), minimum.width()), max(view.height(), minimum.height()))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit_page()
        return super().viewportEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_page()  # the page's minimum may have changed (text, a plot shown)
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        page = self.widget()
        return page.sizeHint() if page is not None else super().sizeHint()


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a :class:`PageScrollArea`: the view's size, scrolling only below its minimum."""
    return PageScrollArea(widget)


class ScrollingTabWidget(QTabWidget):
    """A tab widget whose pages scroll when the window is smaller than a page's minimum.

    The pages are wrapped in scroll areas on :meth:`addTab`; :meth:`widget`,
    :meth:`currentWidget`, :meth:`setCurrentWidget` and :meth:`indexOf` speak of the pages
    themselves, so callers never see the wrapping.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._builders: dict[QScrollArea, Callable[[], QWidget]] = {}
        self.currentChanged.connect(self._build_current_if_shown)

    def _build_current_if_shown(self) -> None:
        # Adding the first tab makes it current: a hidden tab widget (the window being built)
        # waits for its first show, when the tab chosen by then is built.
        if self.isVisible():
            self.build_page(super().widget(self.currentIndex()))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self._build_current_if_shown()
        super().showEvent(event)

    def addTab(self, page: QWidget, *args) -> int:  # noqa: N802 - Qt's name
        return super().addTab(scrolled(page), *args)

    def add_deferred_tab(self, build: Callable[[], QWidget], title: str) -> QScrollArea:
        """A tab whose page ``build()`` makes the first time the tab is shown, or earlier through
        :meth:`build_page` (start-up time: a page nobody looks at costs nothing)."""
        area = scrolled(QWidget())
        self._builders[area] = build
        super().addTab(area, title)
        return area

    def build_page(self, area: QWidget | None) -> QWidget | None:
        """The page of ``area`` (a tab's scroll area), built now if it was deferred."""
        if not isinstance(area, PageScrollArea):
            return area
        build = self._builders.pop(area, None)
        if build is not None:
            area.set_page(build())
        return area.widget()

    def insertTab(self, index: int, page: QWidget, *args) -> int:  # noqa: N802 - Qt's name
        return super().insertTab(index, scrolled(page), *args)

    def widget(self, index: int) -> QWidget | None:
        area = super().widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt's name
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 - Qt's name
        return next((index for index in range(self.count()) if self.widget(index) is page),
                    super().indexOf(page))

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt's name
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


def fitted_rect(wanted: QRect, available: QRect, minimum: QSize,
                title_bar: int = TITLE_BAR_ALLOWANCE, border: int = FRAME_BORDER) -> QRect:
    """``wanted`` (a window's client rectangle) shrunk and moved to lie inside ``available``.

    The frame must fit too: ``title_bar`` pixels above the client area and ``border`` on the
    other sides. The size never goes below ``minimum``; when even that is larger than the
    screen, the window's top-left corner (its menus) stays on the screen.
    """
    inner = available.adjusted(border, title_bar, -border, -border)
    width = max(minimum.width(), min(wanted.width(), inner.width()))
    height = max(minimum.height(), min(wanted.height(), inner.height()))
    left = max(inner.left(), min(wanted.left(), inner.right() + 1 - width))
    top = max(inner.top(), min(wanted.top(), inner.bottom() + 1 - height))
    return QRect(left, top, width, height)


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Resize and move ``window`` (top level) into its screen's available geometry.

    Parameters
    ----------
    window : the window, shown or not; its screen is the one it is on (or will open on).
    preferred : a size to start from (the default size when nothing was restored), centred on
        the screen; by default the window's current size and place.
    """
    if window.isMaximized() or window.isFullScreen() or window.isMinimized():
        return  # the window manager owns the geometry of those states
    screen = window.screen()
    if screen is None:
        if preferred is not None:
            window.resize(preferred)
        return
    available = screen.availableGeometry()
    wanted = QRect(window.geometry().topLeft(), preferred or window.size())
    if preferred is not None:
        wanted.moveCenter(available.center())
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    rect = fitted_rect(wanted, available, minimum)
    # move() places the frame; until the window manager has drawn one, assume the allowances.
    frame_offset = window.geometry().topLeft() - window.pos()
    if frame_offset.isNull():
        frame_offset = QPoint(FRAME_BORDER, TITLE_BAR_ALLOWANCE)
    window.resize(rect.size())
    window.move(rect.topLeft() - frame_offset)
