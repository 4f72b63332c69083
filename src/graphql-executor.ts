import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, GraphQLError, GraphQLInputObjectType, Kind, type SourceLocation, type TypeNode, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Apollo's gateway interface, as its constructor takes it (the package itself is Apollo's dependency, not ours). */
type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

export interface JitExecutorOptions {
  /** Distinct operations kept compiled (least recently used dropped first). */
  maxCompiled?: number;
  /** A document is compiled on this use (default the second; 1: at once); before, graphql-js runs it, so one-off operations (a tenant sweep, an explorer session) never pay for a compilation. */
  compileOnUse?: number;
}

/** One operation of one document: how often it ran, and its compiled form once it has one. */
interface Entry {
  uses: number;
  /** Compiled query; `false` when graphql-jit cannot compile it (graphql-js runs it then, every time). */
  compiled?: CompiledQuery | false;
}

/** Root fields graphql-js answers itself: introspection is rare and not worth a compilation. */
function isIntrospection(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type'));
}

/**
 * What graphql-jit runs: queries whose variables are scalars, enums or lists of them. Its own
 * variable coercion leaves out the default values of input object fields (a mutation's `input`
 * would miss `supportLanguage`, …), and mutations are not where the time goes; subscriptions are
 * refused over HTTP before execution.
 */
function jitCompatible(schema: GraphQLSchema, operation: OperationDefinitionNode | undefined): operation is OperationDefinitionNode {
  if (operation?.operation !== 'query' || isIntrospection(operation)) return false;
  return (operation.variableDefinitions ?? []).every((definition) => {
    let type: TypeNode = definition.type;
    while (type.kind !== Kind.NAMED_TYPE) type = type.type;
    return !(schema.getType(type.name.value) instanceof GraphQLInputObjectType);
  });
}

/**
 * graphql-jit's errors are its own `GraphQLError` look-alikes with no `extensions` when the thrown
 * error had none (Apollo's error normalization reads `extensions.code`) and read-only properties:
 * each becomes graphql-js's own error, with the same message, locations, path and original error
 * (whose extensions it takes, as graphql-js's `locatedError` does).
 */
function withGraphqlErrors<T extends ExecutionResult<Record<string, unknown>>>(result: T): T {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((jitError) => {
    const error = new GraphQLError(jitError.message, { path: jitError.path, originalError: jitError.originalError ?? undefined, extensions: jitError.extensions });
    if (jitError.locations) (error as { locations?: readonly SourceLocation[] }).locations = jitError.locations;
    return error;
  });
  return { ...result, errors };
}

/**
 * graphql-jit behind Apollo Server. Apollo 5 has no `executor` option: a custom executor is given
 * through its gateway interface (`gateway.load()` answers the schema and the executor), after
 * Apollo has parsed, validated, run the plugins' `didResolveOperation` (limits, cost) and before
 * it formats the errors, so everything but the execution itself stays Apollo's.
 *
 * Each query is compiled once — on its `compileOnUse`-th use, keyed by the query's hash and the
 * operation name — and kept in a bounded LRU. Mutations, queries with input-object variables,
 * introspection and anything graphql-jit refuses to compile run on graphql-js, so they behave as
 * they did.
 */
export function jitGateway(schema: GraphQLSchema, options: JitExecutorOptions = {}): GatewayInterface & { stats(): { compiled: number; entries: number } } {
  const compileOnUse = options.compileOnUse ?? 2;
  const entries = new LRUCache<string, Entry>({ max: options.maxCompiled ?? 500 });

  const compiledFor = (key: string, document: DocumentNode, operation: OperationDefinitionNode | undefined, operationName: string | undefined): CompiledQuery | undefined => {
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { uses: 0 }));
    if (entry.compiled !== undefined) return entry.compiled || undefined;
    if (++entry.uses < compileOnUse) return undefined;
    if (!jitCompatible(schema, operation)) {
      entry.compiled = false;
      return undefined;
    }
    const compiled = compileQuery(schema, document, operationName);
    entry.compiled = isCompiledQuery(compiled) ? compiled : false;
    return entry.compiled || undefined;
  };

  const executor: GatewayExecutor = async (request) => {
    const { document, operation, queryHash, context } = request;
    const operationName = request.operationName ?? undefined;
    const variables = request.request.variables;
    const compiled = compiledFor(`${queryHash}:${operationName ?? ''}`, document, operation, operationName);
    if (compiled) return withGraphqlErrors((await compiled.query(undefined, context, variables)) as ExecutionResult<Record<string, unknown>>);
    return (await execute({ schema, document, contextValue: context, variableValues: variables, operationName })) as ExecutionResult<Record<string, unknown>>;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { schema, executor };
    },
    async stop() {
      entries.clear();
    },
    stats() {
      let compiled = 0;
      for (const entry of entries.values()) if (entry.compiled) compiled++;
      return { compiled, entries: entries.size };
    },
  };
}
