export { Node, nodeTypeName, toGlobalId, fromGlobalId, numericIdOf } from './node';
export { PageInfo, ConnectionArgs, pageRequest, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './connection';
