export * from './locales';
export * from './translate';
export * from './errors';
