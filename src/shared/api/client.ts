import { ApiError, apiErrorSchema } from './errors.js';
import type { EventName, EventPayload } from './events.js';
import type { Input, MethodName, Output } from './index.js';

/** What a front door must provide: one call channel and one event channel. */
export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export interface Client {
  call<M extends MethodName>(method: M, ...input: {} extends Input<M> ? [Input<M>?] : [Input<M>]): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The renderer's typed client, generic over the contract; transports only move JSON. */
export function createClient(transport: Transport): Client {
  return {
    async call(method, ...args) {
      try {
        return (await transport.invoke(method, args[0] ?? {})) as never;
      } catch (err) {
        const shape = apiErrorSchema.safeParse(err);
        if (shape.success) throw ApiError.from(shape.data);
        throw err;
      }
    },
    on(event, listener) {
      return transport.on(event, listener as (payload: unknown) => void);
    },
  };
}
