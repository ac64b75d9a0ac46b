"""Security headers and the serve-path guarantees (issue 7, hardening).

`init_app(app)` is called by `create_app`. It adds, to every response (pages, JSON twins, RDF
downloads, the SPARQL endpoint, static files and error pages):

- a Content-Security-Policy that allows scripts, styles, images, fetches and form posts only from
  this origin, forbids framing, `<base>` and plugins;
- X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, X-Frame-Options: DENY,
  Cross-Origin-Opener-Policy and a Permissions-Policy that switches off powerful browser features.

The endpoint's CORS headers (set by app/web/sparql.py) are left untouched: an open SPARQL endpoint
is meant to be called from other origins; CSP only restricts what *our* pages may load.

It also pins debug mode off: the Werkzeug debugger executes code typed into the browser, so the app
refuses to run with `debug` on, however it was configured (config, FLASK_DEBUG, app.run(debug=True)).
"""
from __future__ import annotations

from flask import Flask, Response

# Why 'unsafe-inline' for styles (and for styles only): both vendored libraries inject CSS at run time.
# - YASGUI 4.2.28 (app/web/static/vendor/yasgui) builds its table column resizer with
#   document.createElement("style") and renders HTML strings with inline style="..." attributes
#   through innerHTML; CodeMirror positions its cursor and gutters the same way.
# - cytoscape 3.35.0 inserts a <style> element that makes its container position: relative.
# Under style-src 'self' the browser drops those rules and the editor and the network graph lay out
# wrongly. Inline *styles* cannot run code, so this does not weaken the protection against script
# injection: script-src stays 'self' (no 'unsafe-inline', no 'unsafe-eval'). YASGUI's only eval is a
# JSON polyfill used when the browser has no native JSON, and its `new Function("return this")` sits
# in a try/catch with a `window` fallback, so both are harmless under this policy.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])

PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb", "interest-cohort", "browsing-topics",
))

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


class DebugModeRefused(RuntimeError):
    """Raised when something tries to serve the app with the Werkzeug debugger on."""


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """Install the headers and pin debug mode off."""
    app.config["DEBUG"] = False
    app.debug = False
    app.after_request(add_security_headers)
    app.extensions["migratie_kg_security"] = True

    original_run = app.run

    def run(*args, **kwargs):  # app.run is the development server; never with the debugger
        if kwargs.get("debug"):
            raise DebugModeRefused("migratie-kg never runs in debug mode; use `migratie-kg serve`.")
        kwargs["debug"] = False
        kwargs["use_debugger"] = False
        kwargs["use_reloader"] = False
        return original_run(*args, **kwargs)

    app.run = run  # type: ignore[method-assign]

    @app.before_request
    def _refuse_debug():
        # Someone flipped app.debug after start-up: refuse to serve rather than expose the debugger.
        if app.debug:
            raise DebugModeRefused("debug mode is on; migratie-kg refuses to serve in debug mode.")
