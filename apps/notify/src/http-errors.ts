import { BadRequestException, ConflictException, NotFoundException, ParseUUIDPipe } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@metertwin/alarms';
import { refusal, type RefusalException } from '@metertwin/service-kit';

/** notify's API status for each refusal: a reference the input makes to another organization's thing is a 400. */
const EXCEPTION: Record<DomainErrorKind, RefusalException> = {
  'not-found': NotFoundException,
  reference: BadRequestException,
  conflict: ConflictException,
  invalid: BadRequestException,
};

/** Awaits a domain operation, turning its refusal (with its code, params and issues) into the HTTP exception of notify's API. */
export async function httpErrors<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof DomainError) {
      throw refusal(EXCEPTION[error.kind], error.message, error.code ? { code: error.code, params: error.params, issues: error.issues } : undefined);
    }
    throw error;
  }
}

/** An id in the path that is not a UUID: 400 with code `not-a-uuid`. */
export const ParseId = new ParseUUIDPipe({ exceptionFactory: (message) => refusal(BadRequestException, message, { code: 'not-a-uuid' }) });
