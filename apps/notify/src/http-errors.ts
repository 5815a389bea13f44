import { BadRequestException, ConflictException, NotFoundException, type HttpException } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@metertwin/alarms';

/** notify's API status for each refusal: a reference the input makes to another organization's thing is a 400. */
const EXCEPTION: Record<DomainErrorKind, new (message: string) => HttpException> = {
  'not-found': NotFoundException,
  reference: BadRequestException,
  conflict: ConflictException,
  invalid: BadRequestException,
};

/** Awaits a domain operation, turning its refusal into the HTTP exception of notify's API. */
export async function httpErrors<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof DomainError) throw new EXCEPTION[error.kind](error.message);
    throw error;
  }
}
