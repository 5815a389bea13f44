/** Who changes something, as the audit log records it: a person, an API key acting for its organization, or a rule (system, its id). */
export interface Actor {
  orgId: string;
  type: 'user' | 'api-key' | 'system';
  id: string;
}
