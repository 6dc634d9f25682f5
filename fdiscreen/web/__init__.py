"""The local web workbench: screening form, result page with mitigation toggles and memo downloads,
bid comparison, case library, and a JSON API. ``fdiscreen.web.app.create_app`` builds the app and
``fdiscreen.web.app.serve`` runs it on the loopback interface."""
