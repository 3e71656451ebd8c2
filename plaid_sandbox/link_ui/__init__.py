"""A look-alike of Plaid Link for the emulator: `link-initialize.js` gives the page
`window.Plaid.create({token, onSuccess, onExit, onEvent})` like Plaid's script, and opens an
in-page dialog (institution search, sign-in, account selection) that talks to the endpoints of
`routes` (the browser's side, under /link/v2/, authorised by the Link token alone), which
`flow` answers from the emulator's state.
"""

from plaid_sandbox.link_ui.routes import link_ui_routes

__all__ = ["link_ui_routes"]
