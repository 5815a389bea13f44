/** Who changes something, as the audit log records it: a person, or an API key acting for its organization. */
export interface Actor {
  orgId: string;
  type: 'user' | 'api-key';
  id: string;
}
