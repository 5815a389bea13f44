import { Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '@metertwin/service-kit';
import { WebhookService } from './webhook.service.js';

const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2025';

/** Operator endpoints of the webhook delivery log. */
@Controller('v1/webhooks')
@UseGuards(AdminTokenGuard)
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  /** Sends a delivery again with the same event id (a new signature and timestamp). */
  @Post('deliveries/:id/replay')
  @HttpCode(202)
  async replay(@Param('id') id: string): Promise<{ id: string; status: string }> {
    try {
      const delivery = await this.webhooks.replay(id);
      return { id: delivery.id, status: delivery.status };
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundException(`webhook delivery ${id} does not exist`);
      throw error;
    }
  }
}
