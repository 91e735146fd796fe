import type { MethodName, Output, ParsedInput } from '../../shared/api/index.js';
import type { AppContext } from '../context.js';

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: AppContext) => Promise<Output<M>> | Output<M>;

/** Every contract method's implementation; a missing one is a type error. */
export type Services = { [M in MethodName]: Handler<M> };

/** Implementations of one domain's methods, e.g. `Pick<Services, 'classes.list' | ...>`. */
export type DomainServices<P extends string> = { [M in MethodName as M extends `${P}.${string}` ? M : never]: Handler<M> };
