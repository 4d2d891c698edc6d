// ESLint flat config: typescript-eslint's type-aware recommended rules plus
// @pulumi/eslint-plugin, which catches Outputs used inside template strings
// (they render as an "Output<T>" warning text instead of the value).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", "**/*.mjs", "test/fixtures/**"] },
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // The few CommonJS launchers that must run before anything is compiled (main.js, *.cjs).
        files: ["**/*.js", "**/*.cjs"],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: {
            sourceType: "commonjs",
            globals: {
                require: "readonly",
                module: "writable",
                __dirname: "readonly",
                process: "readonly",
                console: "readonly",
            },
        },
        rules: {
            "@typescript-eslint/no-require-imports": "off",
            "pulumi/no-output-in-template-literal": "off",
            "pulumi/no-output-instance-in-template-literal": "off",
        },
    },
    {
        // Mocha's `this`-less style and chai's property assertions (`expect(x).to.be.true`).
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-expressions": "off",
        },
    },
);
