/** io/package-root.ts for the page: the folder names the CLI embedded files under. */
declare const __CARBONPATH_VERSION__: string;

export const PACKAGE_ROOT = '/carbonpath';
export const BUNDLED_SCENARIOS = `${PACKAGE_ROOT}/scenarios`;
export const BUNDLED_DATA = `${PACKAGE_ROOT}/data/alibaba-group`;
export const TOOL_VERSION: string = __CARBONPATH_VERSION__;
