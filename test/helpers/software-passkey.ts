/**
 * A software WebAuthn authenticator for tests without a browser: it makes passkeys (ES256,
 * discoverable, attestation "none") and signs in with them exactly as a platform authenticator
 * does — authenticator data, client data, a signature over both — so that the server's checks run
 * on real bytes. Its knobs make the answers a broken or hostile authenticator would give.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

/** A passkey this authenticator holds. */
export interface SoftwarePasskey {
  id: string;
  privateKey: KeyObject;
  /** The COSE public key, base64url, as the RP stores it. */
  publicKey: string;
  /** The user handle the RP gave it (base64url). */
  userHandle: string;
  rpId: string;
  counter: number;
}

/** How one answer is made: each default is what an honest authenticator does. */
export interface AnswerOptions {
  /** The origin the browser reports (default: the authenticator's). */
  origin?: string;
  /** The RP ID whose hash is in the authenticator data (default: the options'). */
  rpId?: string;
  /** The person was verified (PIN, biometric): the UV flag (default true). */
  userVerified?: boolean;
  /** The challenge to answer (default: the options'). */
  challenge?: string;
  /** The user handle to return (default: the passkey's). */
  userHandle?: string;
  /** Another passkey's key signs instead (a forged signature). */
  signWith?: KeyObject;
  /** The counter to report (default: one more than the last, for a counting authenticator). */
  counter?: number;
}

export class SoftwareAuthenticator {
  readonly passkeys: SoftwarePasskey[] = [];

  /**
   * @param origin the page's origin, as the browser reports it
   * @param options.synced a synced passkey (backup eligible and backed up), as password managers make
   * @param options.counts whether it keeps a signature counter (synced passkeys report 0)
   */
  constructor(
    readonly origin: string,
    readonly options: { synced?: boolean; counts?: boolean } = {},
  ) {}

  /** Makes a passkey for `creation` (PublicKeyCredentialCreationOptionsJSON): the registration response JSON. */
  create(creation: { challenge: string; rp: { id: string }; user: { id: string } }, answer: AnswerOptions = {}): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16).toString('base64url');
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = encodeCBOR(new Map<number, CBORType>([[1, 2], [3, -7], [-1, 1], [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))], [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))]]));
    const idBytes = Buffer.from(id, 'base64url');
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]), idBytes, Buffer.from(coseKey)]);
    const counter = this.options.counts ? 1 : 0;
    const authData = this.authenticatorData(answer.rpId ?? creation.rp.id, AT | this.flags(answer), counter, attested);
    const attestationObject = encodeCBOR(new Map<string, CBORType>([['fmt', 'none'], ['attStmt', new Map<string, CBORType>()], ['authData', new Uint8Array(authData)]]));
    this.passkeys.push({ id, privateKey, publicKey: Buffer.from(coseKey).toString('base64url'), userHandle: creation.user.id, rpId: creation.rp.id, counter });
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: this.clientData('webauthn.create', answer.challenge ?? creation.challenge, answer), attestationObject: Buffer.from(attestationObject).toString('base64url'), transports: ['internal'] },
    };
  }

  /** Signs in with `passkey` (default: the last made) for `request` (PublicKeyCredentialRequestOptionsJSON): the authentication response JSON. */
  get(request: { challenge: string; rpId: string }, answer: AnswerOptions = {}, passkey = this.passkeys.at(-1)!): Record<string, unknown> {
    const counter = answer.counter ?? (this.options.counts ? passkey.counter + 1 : 0);
    passkey.counter = counter;
    const authData = this.authenticatorData(answer.rpId ?? request.rpId, this.flags(answer), counter);
    const clientDataJSON = this.clientData('webauthn.get', answer.challenge ?? request.challenge, answer);
    const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest()]);
    const signature = sign('sha256', signed, answer.signWith ?? passkey.privateKey);
    return {
      id: passkey.id,
      rawId: passkey.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON, authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url'), userHandle: answer.userHandle ?? passkey.userHandle },
    };
  }

  private flags(answer: AnswerOptions): number {
    return UP | (answer.userVerified === false ? 0 : UV) | (this.options.synced ? BE | BS : 0);
  }

  private authenticatorData(rpId: string, flags: number, counter: number, attested = Buffer.alloc(0)): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count, attested]);
  }

  private clientData(type: string, challenge: string, answer: AnswerOptions): string {
    return Buffer.from(JSON.stringify({ type, challenge, origin: answer.origin ?? this.origin, crossOrigin: false })).toString('base64url');
  }
}
