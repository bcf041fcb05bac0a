/** RFC 8628 §3.4: the grant_type with which a device polls for its tokens. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8693 §2.1: the grant_type with which a client exchanges a token for another. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
