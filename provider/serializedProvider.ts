/** The npm package this project is published as; a test holds it equal to package.json's name. */
export const PACKAGE_NAME = "pulumi-apikeys";

/** The package subpath that exports the dynamic provider (package.json `exports`). */
export const PROVIDER_MODULE = `${PACKAGE_NAME}/provider-runtime`;

/**
 * The dynamic provider as Pulumi stores it in state for every key: a require of the package's own subpath, resolved
 * by the provider host from the Pulumi project's node_modules. It never contains code or settings, so upgrading the
 * package changes nothing in state and shows nothing in `pulumi preview`. A project that lost the package (a destroy
 * after `npm uninstall`) is told what to install instead of Node's bare "Cannot find module".
 */
export const SERIALIZED_PROVIDER =
  `exports.handler=()=>{try{return require("${PROVIDER_MODULE}")}catch(e){if(e.code!=="MODULE_NOT_FOUND")throw e;` +
  `e.message="ApiKey resources need the npm package ${PACKAGE_NAME} in this Pulumi project: npm install ${PACKAGE_NAME} ("+e.message+")";throw e}};`;
