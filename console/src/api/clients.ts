// Typed clients of the services' public APIs (openapi-fetch over the types generated from each
// service's OpenAPI: `recoup console api-types`). Every request goes through http.ts `send`.
//
//   const teams = await call(allocation.GET('/v1/teams'))
//
// A later service adds its schema file and one line here.
import createClient, { type Client } from 'openapi-fetch'
import type { paths as AllocationPaths } from './schema/allocation'
import type { paths as BillingPaths } from './schema/billing'
import type { paths as ContactPaths } from './schema/contact'
import type { paths as FieldopsPaths } from './schema/fieldops'
import type { paths as IntakePaths } from './schema/intake'
import type { paths as LettersPaths } from './schema/letters'
import { send, serviceBase, type Service } from './http'
import { ApiError } from './problem'

function client<P extends {}>(service: Service): Client<P> {
  // openapi-fetch builds the Request; `send` authorises it and turns error answers into ApiError.
  return createClient<P>({ baseUrl: serviceBase(service), fetch: (req: Request) => send(req) })
}

export const intake = client<IntakePaths>('intake')
export const allocation = client<AllocationPaths>('allocation')
export const billing = client<BillingPaths>('billing')
export const contact = client<ContactPaths>('contact')
export const fieldops = client<FieldopsPaths>('fieldops')
export const letters = client<LettersPaths>('letters')

/** The data of a typed call; errors were already thrown by `send` as ApiError. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, response } = await pending
  if (data === undefined) {
    if (response.status === 204) return undefined as T
    throw new ApiError({ type: 'about:blank', title: 'Empty answer', status: response.status })
  }
  return data
}

export type { components as AllocationSchemas } from './schema/allocation'
export type { components as BillingSchemas } from './schema/billing'
export type { components as ContactSchemas } from './schema/contact'
export type { components as FieldopsSchemas } from './schema/fieldops'
export type { components as IntakeSchemas } from './schema/intake'
export type { components as LettersSchemas } from './schema/letters'
