/** One `metertwin` sub-command. `run` gets the arguments after the command's name. */
export interface Command {
  summary: string;
  run(argv: string[]): Promise<void>;
}
