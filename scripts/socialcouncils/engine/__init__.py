"""What only a build by the site engine needs: compiled templates and reading pages in other processes."""
