export { Node, nodeTypeName } from './node';
export { PageInfo } from './connection';
