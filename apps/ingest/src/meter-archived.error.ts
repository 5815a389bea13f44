import { GoneException } from '@nestjs/common';

/** The meter was archived in the portal: its cameras' photos are refused until it is unarchived (410). */
export class MeterArchivedError extends GoneException {
  constructor(meterId: string) {
    super(`meter ${meterId} is archived: it takes no photos until it is unarchived in the portal`);
  }
}
