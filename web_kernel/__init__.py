"""The web kernel every surface shares: settings, the request's session and body, the
contract's errors, Flask extensions, languages, security headers, versioned assets and the
operations endpoints. The surfaces (kiosk/, staff_console/) and the composition root
(frontdoor/) import it; it imports neither."""
