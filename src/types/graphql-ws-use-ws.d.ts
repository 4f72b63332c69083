// tsconfig's node10 module resolution ignores package "exports": point the subpath at its typings.
// at run time node resolves `graphql-ws/use/ws` through the exports map as usual.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws.cjs';
}
