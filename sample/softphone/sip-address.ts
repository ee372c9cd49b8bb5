/** Where a browser softphone registers: `sip:<user>` at `<ExotelAccountSid>.voip.exotel.com` (the domain Exotel's browser SDK registers with). */
export interface SipAddress {
  /** `sip:<user>`, as the user mapping's `SipId`. */
  id: string;
  user: string;
  domain: string;
}

export function sipAddress(sipId: string, accountSid: string): SipAddress {
  // Exotel's SDK takes the part after ':' as the SIP user.
  const user = sipId.slice(sipId.indexOf(':') + 1);
  return { id: sipId, user, domain: `${accountSid}.voip.exotel.com` };
}
