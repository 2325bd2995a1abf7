# One image for both processes: `relai serve` (API) and `relai worker` (jobs).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY apps ./apps
COPY packages ./packages
COPY migrations ./migrations
COPY samples ./samples
RUN npm ci --no-audit --no-fund && npm cache clean --force
USER node
EXPOSE 8787
ENTRYPOINT ["node", "apps/cli/bin/relai.mjs"]
CMD ["serve"]
