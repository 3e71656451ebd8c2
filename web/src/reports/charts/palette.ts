/**
 * Series colours: each at least 3:1 against the white card (WCAG 1.4.11), told apart from its
 * neighbours in hue and lightness; "Other" is the grey at the end. Colour is never the only way to
 * tell series apart: the legend and tooltip name them, and the table beside says it all in text.
 */
export const SERIES_COLOURS = ["#0f5c4d", "#1b6ef3", "#b42318", "#9a5b00", "#6941c6", "#c11574", "#067647"] as const;
export const OTHER_COLOUR = "#5d6b7a";
export const INCOME_COLOUR = "#067647";
export const EXPENSES_COLOUR = "#b42318";
export const NET_COLOUR = "#1c2430";
