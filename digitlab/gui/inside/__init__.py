"""The Inside tab: what happens inside the current model for one digit, and for many.

Each view is a QWidget built by a factory ``factory(session, context) -> QWidget`` and listed
once in :data:`.views.INSIDE_VIEWS`; the tab (:mod:`.inside_panel`) builds them in that order.
A view reads the model from ``session.current_model()`` (and follows ``session.model_changed``)
and the digit being looked at from ``context`` (:class:`~.context.InsideContext`).

Importing this package imports nothing else: the main window needs only :mod:`.context` at
start-up, and the views (with their plots) load when the tab is first shown.
"""
