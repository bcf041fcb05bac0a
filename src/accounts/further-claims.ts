/**
 * The further standard claims a built-in account may hold beyond its own fields (username, email,
 * name, given and family name): OIDC Core §5.1 claims with their types. Anything else would never
 * be released (only standard claims are), and a claim with its own field (`email`, `sub` …) must
 * not be shadowed from here — so both are refused, by name.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
import { z } from '../util/zod.js';

const text = z.string().min(1).max(255);
const url = z.url({ protocol: /^https?$/ }).max(2048);

/** OIDC Core §5.1.1: the address claim. */
const address = z
  .object({
    formatted: z.string().min(1).max(1024),
    street_address: z.string().min(1).max(1024),
    locality: text,
    region: text,
    postal_code: text,
    country: text,
  })
  .partial()
  .strict();

export const furtherClaimsSchema = z
  .object({
    middle_name: text,
    nickname: text,
    profile: url,
    picture: url,
    website: url,
    gender: text,
    birthdate: z.string().regex(/^(\d{4}|\d{4}-\d{2}-\d{2}|0000-\d{2}-\d{2})$/, 'must be YYYY or YYYY-MM-DD'),
    zoneinfo: text,
    locale: z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag, e.g. en-GB'),
    phone_number: z.string().min(1).max(64),
    phone_number_verified: z.boolean(),
    address,
  })
  .partial()
  .strict();

/** The further claims of an account. */
export type FurtherClaims = z.infer<typeof furtherClaimsSchema>;
