// What a JWT looks like in text (header and payload are base64url JSON objects, so both start with eyJ):
// the auth gate finds tokens in bodies with it, the browser-storage checks find them in page storage.
/** A JWT-looking string anywhere in a text (for scanning browser storage). */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
