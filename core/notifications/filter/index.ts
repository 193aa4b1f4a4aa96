export * from './ast';
export * from './filter-error';
export { parseFilter } from './parser';
export { parseJql } from './jql';
export { evaluateFilter, type FilterContext } from './evaluate';
export { formatFilter } from './format';
export { soundsDutch } from './words';
export * from './subscription-filter';
export { tokenize } from './lexer';
