"""The working-day calendar: ``service.calendar.service.calendar(session)`` gives the calendar of
a request, and the functions of ``service.calendar.workdays`` count periods on it."""
